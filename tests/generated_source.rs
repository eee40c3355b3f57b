//! Layer 2: the formatted generated source is snapshotted, so every spec or
//! generator change shows up as a diff in review.

#[test]
fn generated_client_source() {
    insta::assert_snapshot!("client.rs", acquire_api::generated_source::CLIENT);
}

#[test]
fn generated_open_enums_source() {
    insta::assert_snapshot!("open_enums.rs", acquire_api::generated_source::OPEN_ENUMS);
}

#[test]
fn generated_operation_types_source() {
    insta::assert_snapshot!(
        "operation_types.rs",
        acquire_api::generated_source::OPERATION_TYPES
    );
}
