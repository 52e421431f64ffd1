import Foundation

/// Templates shipped with the system: the bureau starts from these and edits its own copy.
public enum DefaultTemplates {
    /// The annual summary (年度工作总结) following the seeds' structure: 主要工作 by theme, 存在的问题,
    /// 明年工作打算, with a section for everything the system records.
    public static var annualSummary: String {
        guard let url = Bundle.module.url(forResource: "annual_summary", withExtension: "txt", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "annual_summary", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return fallback }
        return text
    }

    /// A minimal summary used only if the resource bundle is missing.
    static let fallback = """
        @标题 {单位}{年度}年教育工作总结
        # {年度}年主要工作
        {学年}，{单位}共有在校学生{在校生数（全部学段） 比上年}。
        """
}
