// ReportChecker
