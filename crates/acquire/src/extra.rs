//! `extra_member` on every request builder: members Acquire adds before the
//! spec declares them, sent as given beside the declared ones.
//!
//! Every request body schema says `additionalProperties: {}`, so each
//! generated request type keeps other members in its `unknown` map and
//! sends them. A name the type declares is refused before anything is sent:
//! that member has its own method, and sending it twice would write the key
//! twice.

use crate::Error;

/// Refuses the first member of `extra` that `declares` says is declared.
pub(crate) fn undeclared(
    extra: &serde_json::Map<String, serde_json::Value>,
    declares: fn(&str) -> bool,
) -> Result<(), Error> {
    match extra.keys().find(|name| declares(name)) {
        None => Ok(()),
        Some(name) => Err(Error::InvalidRequest(format!(
            "extra_member {name:?}: the spec declares this member; set it with its own method"
        ))),
    }
}

/// Gives each builder (`Builder => RequestType: path.to.map`, the request
/// type it sends and where it keeps the extra members) the `extra_member`
/// method and the check its `send` makes.
macro_rules! extra_members {
    ($($builder:ident => $body:ident: $($map:ident).+;)*) => {$(
        impl $builder<'_> {
            /// Adds a member the spec does not declare, sent as given beside
            /// the others: for a member Acquire accepts before this crate
            /// knows it. A member the spec declares has its own method;
            /// naming one here fails the call with
            /// [`Error::InvalidRequest`](crate::Error::InvalidRequest)
            /// before anything is sent. The last value given for a name wins.
            pub fn extra_member(
                mut self,
                name: impl Into<String>,
                value: impl Into<serde_json::Value>,
            ) -> Self {
                self.$($map).+.insert(name.into(), value.into());
                self
            }

            /// Fails when an extra member is one the spec declares.
            fn undeclared_extras(&self) -> Result<(), $crate::Error> {
                $crate::extra::undeclared(
                    &self.$($map).+,
                    acquire_api::declares_member::<acquire_api::types::$body>,
                )
            }
        }
    )*};
}

pub(crate) use extra_members;
