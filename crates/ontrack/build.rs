//! Links libpython into this crate's tests, examples and benches when polars is built with the
//! Python extension's pyo3 settings (one polars build for both; see the Makefile). Such a build
//! leaves the Python symbols to the interpreter that loads the extension, so a plain executable
//! must link the library itself. `ONTRACK_LIBPYTHON` names it; without it nothing changes.

fn main() {
    println!("cargo:rerun-if-env-changed=ONTRACK_LIBPYTHON");
    let Ok(lib) = std::env::var("ONTRACK_LIBPYTHON") else {
        return;
    };
    if lib.is_empty() {
        return;
    }
    println!("cargo:rustc-link-arg={lib}");
    if let Some(dir) = std::path::Path::new(&lib).parent() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
    }
}
