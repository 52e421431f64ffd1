// EduLedgerWeb placeholder
