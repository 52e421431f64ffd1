// EduLedgerIndicators: see README.md
