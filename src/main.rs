//! The `imfsim` command; everything lives in the library (`imfsim::cli`).

fn main() -> std::process::ExitCode {
    imfsim::cli::main()
}
