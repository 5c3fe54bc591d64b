//! The `ccsim` command: see `ccsim --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
