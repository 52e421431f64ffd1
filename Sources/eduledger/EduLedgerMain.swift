import EduLedgerCommands

/// The executable is only the entry point; every command lives in EduLedgerCommands so tests
/// can run them in-process.
@main
struct EduLedgerMain {
    static func main() async {
        await EduLedgerCommand.main()
    }
}
