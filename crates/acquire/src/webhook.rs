//! Webhooks: verifying `x-acquire-signature` and parsing the event.
