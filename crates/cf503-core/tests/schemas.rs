//! The published JSON Schemas (`docs/schemas/`) are what the report's wire types give: a change
//! to a report's shape cannot ship without its schema (native only; feature `schema`).
#![cfg(feature = "schema")]

#[test]
fn published_schemas_are_the_wire_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    let schemas = cf503_core::report::wire::schemas();
    assert_eq!(schemas.len(), 5);
    for (name, text) in schemas {
        let published = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            published == text,
            "docs/schemas/{name} is not what report::wire gives: run \
             `cargo run -p cf503-core --features schema --example schemas` and review the diff"
        );
    }
}
