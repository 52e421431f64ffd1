import ArgumentParser

/// `eduledger`: the bureau's ledger on the command line.
public struct EduLedgerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eduledger",
        abstract: "EduLedger 教育局业务台账：学籍、学校、教职工、编班、工作总结",
        subcommands: [
            CheckIDCommand.self, WorkdaysCommand.self, DemoCommand.self, SummaryCommand.self,
            SchoolsCommand.self, StudentsCommand.self, StaffCommand.self, ReportCommand.self,
            ClassesCommand.self, VerifyDrawCommand.self, ServeCommand.self, ImportCommand.self, TemplateCommand.self,
            ExportCommand.self, BackupCommand.self, RestoreCommand.self, IndicatorsCommand.self, SchoolYearCommand.self,
            DropoutsCommand.self,
            CasesCommand.self,
        ]
    )
    public init() {}
}
