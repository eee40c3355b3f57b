//! Decodes any input as every response type of the API (and the webhook
//! event). Nothing may panic, and whatever decodes must survive:
//!
//! - decoding from bytes and from a parsed `serde_json::Value` agree (for a
//!   text without repeated member names);
//! - a decoded value re-encodes, and the re-encoding decodes back to an
//!   equal value (no field lost or changed by the generated types).
//!
//! The input is used whole as JSON, so the spec's example files are seeds as
//! they are (`cargo xtask fuzz` copies them into the corpus).

#![no_main]

use acquire_api::types;
use libfuzzer_sys::fuzz_target;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// Every response body type of the spec (the build's list), and the
/// webhook event Acquire sends (not a response of the API).
macro_rules! decode_all {
    ($($name:ident),* $(,)?) => {
        fn decode_all(data: &[u8], parsed: Option<&Value>) {
            $(check::<types::$name>(stringify!($name), data, parsed);)*
            check::<types::WebhookEvent>("WebhookEvent", data, parsed);
        }
    };
}

acquire_api::with_response_types!(decode_all);

/// Whether a JSON text repeats a member name in some object. Such a text
/// means two things at once: decoding the bytes refuses it ("duplicate
/// field"), a `Value` keeps the last member; neither is wrong.
fn has_duplicate_members(data: &[u8]) -> bool {
    struct Walk(bool);
    impl<'de> serde::de::Visitor<'de> for &mut Walk {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(&mut *self)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key) {
                    self.0 = true;
                }
                map.next_value_seed(&mut *self)?;
            }
            Ok(())
        }
    }
    impl<'de> serde::de::DeserializeSeed<'de> for &mut Walk {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    let mut walk = Walk(false);
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    serde::de::DeserializeSeed::deserialize(&mut walk, &mut deserializer).is_ok() && walk.0
}

fn check<T>(name: &str, data: &[u8], parsed: Option<&Value>)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let from_bytes = serde_json::from_slice::<T>(data);
    if let Some(value) = parsed {
        let from_value = serde_json::from_value::<T>(value.clone());
        match (&from_bytes, &from_value) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: bytes and Value decode differently"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!(
                "{name}: bytes and Value disagree: from bytes {:?}, from Value {:?}",
                a.as_ref().map(|_| "ok"),
                b.as_ref().map(|_| "ok")
            ),
        }
    }
    let Ok(typed) = from_bytes else {
        return;
    };
    let encoded = match serde_json::to_vec(&typed) {
        Ok(bytes) => bytes,
        Err(e) => panic!("{name}: a decoded value does not encode: {e}\n{typed:?}"),
    };
    match serde_json::from_slice::<T>(&encoded) {
        Ok(again) => assert_eq!(
            typed,
            again,
            "{name}: the re-encoding decodes to another value: {}",
            String::from_utf8_lossy(&encoded)
        ),
        Err(e) => panic!(
            "{name}: the re-encoding does not decode: {e}\n  re-encoded: {}",
            String::from_utf8_lossy(&encoded)
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    // Valid JSON: bytes and `Value` must decode alike (unless a member name
    // repeats, where they legitimately differ).
    let parsed = serde_json::from_slice::<Value>(data)
        .ok()
        .filter(|_| !has_duplicate_members(data));
    decode_all(data, parsed.as_ref());
});
