// EduLedgerCommands
