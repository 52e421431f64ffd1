// EduLedgerStorage
