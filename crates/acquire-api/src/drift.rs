//! Drift: what a decoded response holds that the spec does not know.
//!
//! The generated types keep what they do not declare: each object type
//! has an `unknown` map of the members its schema does not list, and each
//! open enum an `Unknown(String)` variant. [`Visit`] walks a decoded value
//! and reports both, as [`Finding`]s located by a JSON pointer whose array
//! elements and map entries are `*` (`/data/users/*/priority`), so one
//! finding stands for every element.
//!
//! The build emits `Visit` for every generated type, from the types
//! themselves (`build/drift.rs`): what is declared is what the spec
//! declares, never a list kept by hand. A finding carries no member value;
//! only an unknown enum value, which is a name from the API's vocabulary.

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
};

/// What kind of drift a [`Finding`] is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DriftKind {
    /// A member the object's schema does not declare.
    UndeclaredMember,
    /// A value of an open enum outside its known list.
    UnknownEnumValue {
        /// The enum's schema (`CaseStatus`).
        schema: &'static str,
        /// The value as sent (`snoozed`).
        value: String,
    },
}

impl DriftKind {
    /// The kind's stable name: `undeclared_member` or `unknown_enum_value`
    /// (the `kind` field of the drift events and reports).
    pub fn name(&self) -> &'static str {
        match self {
            DriftKind::UndeclaredMember => "undeclared_member",
            DriftKind::UnknownEnumValue { .. } => "unknown_enum_value",
        }
    }

    /// The enum value, for an unknown enum value.
    pub fn value(&self) -> Option<&str> {
        match self {
            DriftKind::UndeclaredMember => None,
            DriftKind::UnknownEnumValue { value, .. } => Some(value),
        }
    }
}

/// One thing a response held that the spec does not know.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Finding {
    /// Where: a JSON pointer into the response body, `*` for every array
    /// element or map entry (`/data/users/*/priority`).
    pub pointer: String,
    /// What.
    pub kind: DriftKind,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DriftKind::UndeclaredMember => write!(f, "{}: undeclared member", self.pointer),
            DriftKind::UnknownEnumValue { schema, value } => {
                write!(f, "{}: {schema} value {value:?} is not known", self.pointer)
            }
        }
    }
}

/// A JSON pointer being built while a value is walked. Its steps are the
/// names the types declare (and `*`), kept as they are: the pointer is
/// written out, escaped, only when a finding is made, so a walk that finds
/// nothing costs a push and a pop per member.
#[derive(Clone, Debug, Default)]
pub struct Pointer(Vec<&'static str>);

impl Pointer {
    /// Appends the step `segment`; returns the depth to
    /// [`Pointer::truncate`] back to.
    pub fn push(&mut self, segment: &'static str) -> usize {
        let mark = self.0.len();
        self.0.push(segment);
        mark
    }

    /// Goes back to a depth [`Pointer::push`] returned.
    pub fn truncate(&mut self, mark: usize) {
        self.0.truncate(mark);
    }

    /// The pointer so far, then `last` if given, escaped as RFC 6901 says
    /// (`~` as `~0`, `/` as `~1`).
    pub fn render(&self, last: Option<&str>) -> String {
        let mut out = String::new();
        for segment in self.0.iter().copied().chain(last) {
            out.push('/');
            for c in segment.chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        }
        out
    }
}

/// A decoded value that can say what in it the spec does not know.
pub trait Visit {
    /// Adds to `out` the findings in `self`, which sits at `at`.
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>);
}

/// The findings in `value`, a whole response body.
pub fn findings<T: Visit + ?Sized>(value: &T) -> Vec<Finding> {
    let mut out = Vec::new();
    value.visit(&mut Pointer::default(), &mut out);
    out
}

/// Reports each member of an object's `unknown` map (for generated code).
pub fn undeclared(
    members: &serde_json::Map<String, serde_json::Value>,
    at: &Pointer,
    out: &mut Vec<Finding>,
) {
    for name in members.keys() {
        out.push(Finding {
            pointer: at.render(Some(name)),
            kind: DriftKind::UndeclaredMember,
        });
    }
}

/// Reports an open enum's unknown value (for generated code).
pub fn unknown_value(schema: &'static str, value: &str, at: &Pointer, out: &mut Vec<Finding>) {
    out.push(Finding {
        pointer: at.render(None),
        kind: DriftKind::UnknownEnumValue {
            schema,
            value: value.to_owned(),
        },
    });
}

impl<T: Visit + ?Sized> Visit for Box<T> {
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
        (**self).visit(at, out);
    }
}

impl<T: Visit> Visit for Option<T> {
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
        if let Some(value) = self {
            value.visit(at, out);
        }
    }
}

/// Visits `items` as the elements of an array or the values of a map: one
/// `*` step for all of them.
fn visit_each<'a, T: Visit + 'a>(
    items: impl ExactSizeIterator<Item = &'a T>,
    at: &mut Pointer,
    out: &mut Vec<Finding>,
) {
    if items.len() == 0 {
        return;
    }
    let mark = at.push("*");
    for item in items {
        item.visit(at, out);
    }
    at.truncate(mark);
}

impl<T: Visit> Visit for Vec<T> {
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
        visit_each(self.iter(), at, out);
    }
}

impl<K, T: Visit> Visit for BTreeMap<K, T> {
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
        visit_each(self.values(), at, out);
    }
}

impl<K, T: Visit, S> Visit for HashMap<K, T, S> {
    fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
        visit_each(self.values(), at, out);
    }
}

/// Values the spec leaves free-form or that hold no members.
macro_rules! leaves {
    ($($ty:ty),* $(,)?) => {
        $(impl Visit for $ty {
            fn visit(&self, _: &mut Pointer, _: &mut Vec<Finding>) {}
        })*
    };
}

leaves!(
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    String,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    chrono::NaiveDate,
    chrono::NaiveDateTime,
);

impl<Tz: chrono::TimeZone> Visit for chrono::DateTime<Tz> {
    fn visit(&self, _: &mut Pointer, _: &mut Vec<Finding>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_their_segments_and_truncate_back() {
        let mut at = Pointer::default();
        let data = at.push("data");
        let odd = at.push("a/b~c");
        assert_eq!(at.render(None), "/data/a~1b~0c");
        assert_eq!(at.render(Some("x/y")), "/data/a~1b~0c/x~1y");
        at.truncate(odd);
        assert_eq!(at.render(None), "/data");
        at.truncate(data);
        assert_eq!(at.render(None), "");
    }

    #[test]
    fn arrays_and_maps_are_one_star_and_empty_ones_nothing() {
        struct Leaf;
        impl Visit for Leaf {
            fn visit(&self, at: &mut Pointer, out: &mut Vec<Finding>) {
                let mut members = serde_json::Map::new();
                members.insert("x".into(), serde_json::Value::Null);
                undeclared(&members, at, out);
            }
        }
        let nested = vec![vec![Leaf, Leaf], vec![]];
        let found = findings(&nested);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.pointer == "/*/*/x"));
        let mut map = BTreeMap::new();
        map.insert("0", Leaf);
        assert_eq!(findings(&map)[0].pointer, "/*/x");
        assert!(findings(&Vec::<Leaf>::new()).is_empty());
    }
}
