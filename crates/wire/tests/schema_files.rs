//! The committed `schema/*.schema.json` files are the schemas the structs
//! generate. After a deliberate change of the wire format, rewrite them with
//! `REPRINT_BLESS=1 cargo test -p reprint-wire --test schema_files` (and
//! bump `SCHEMA_VERSION` if a field was removed or changed meaning).

use std::path::Path;

#[test]
fn schema_files_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let bless = std::env::var_os("REPRINT_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, schema) in reprint_wire::schemas() {
        let path = dir.join(format!("{name}.schema.json"));
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if bless {
            std::fs::write(&path, &text).unwrap();
        } else {
            let committed: Option<serde_json::Value> =
                std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str(&t).ok());
            if committed.as_ref() != Some(&schema) {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; rewrite with REPRINT_BLESS=1 cargo test -p reprint-wire --test schema_files"
    );
}
