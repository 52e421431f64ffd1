// EduLedgerDemo
