fn main() -> std::process::ExitCode {
    eosc::cli::main()
}
