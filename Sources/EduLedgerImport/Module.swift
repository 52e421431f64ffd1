// EduLedgerImport: see README.md
