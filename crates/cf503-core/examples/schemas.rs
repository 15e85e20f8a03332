//! Writes the reports' JSON Schemas to `docs/schemas/` (derived from `report::wire`):
//! `cargo run -p cf503-core --features schema --example schemas`. A test fails when the files
//! there differ from what the types give.
fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    std::fs::create_dir_all(&dir)?;
    for (name, text) in cf503_core::report::wire::schemas() {
        std::fs::write(dir.join(name), text)?;
        println!("docs/schemas/{name}");
    }
    Ok(())
}
