/// The person a change is attributed to in the audit log.
public struct ActingUser: Hashable, Sendable, Codable {
    /// Login name, e.g. `admin`, `school-4301020001-registrar`, or `system:demo`.
    public var login: String
    public var displayName: String
    public init(login: String, displayName: String) { self.login = login; self.displayName = displayName }

    /// Changes made by the command-line tool on the operator's behalf.
    public static let commandLine = ActingUser(login: "system:cli", displayName: "命令行")
}

/// One page of a list, with the total so the UI can paginate.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int
    public var offset: Int
    public var limit: Int
    public init(items: [Item], total: Int, offset: Int, limit: Int) {
        self.items = items; self.total = total; self.offset = offset; self.limit = limit
    }
}

public struct SchoolFilter: Sendable, Hashable {
    public var townshipID: TownshipID?
    public var zoneID: SchoolZoneID?
    public var type: SchoolType?
    /// Only schools open on this date; `nil` lists every school ever registered.
    public var openOn: CivilDate?
    /// Restricts to these schools (a user's scope); `nil` means no restriction.
    public var onlyIDs: Set<SchoolID>?
    public init(townshipID: TownshipID? = nil, zoneID: SchoolZoneID? = nil, type: SchoolType? = nil,
                openOn: CivilDate? = nil, onlyIDs: Set<SchoolID>? = nil) {
        self.townshipID = townshipID; self.zoneID = zoneID; self.type = type; self.openOn = openOn
        self.onlyIDs = onlyIDs
    }
}

/// Which students to list: those enrolled on `date` (default: all students with any enrolment
/// there), narrowed by school, grade and a search over name, 学籍号 and ID number.
public struct StudentQuery: Sendable, Hashable {
    public var date: CivilDate
    public var schoolIDs: Set<SchoolID>?
    public var grade: GradeLevel?
    public var classID: ClassID?
    /// Matches a prefix of the name, 学籍号 or 身份证号.
    public var search: String?
    public var offset: Int
    public var limit: Int
    public init(date: CivilDate, schoolIDs: Set<SchoolID>? = nil, grade: GradeLevel? = nil, classID: ClassID? = nil,
                search: String? = nil, offset: Int = 0, limit: Int = 50) {
        self.date = date; self.schoolIDs = schoolIDs; self.grade = grade; self.classID = classID
        self.search = search; self.offset = offset; self.limit = limit
    }
}

/// A student as a list shows them: the record and where they are enrolled on the query date.
public struct StudentRow: Sendable, Hashable {
    public var student: Student
    public var enrolment: Enrolment
    public init(student: Student, enrolment: Enrolment) { self.student = student; self.enrolment = enrolment }
}

/// An enrolment period with the names a person reads.
public struct EnrolmentListing: Sendable, Hashable {
    public var enrolment: Enrolment
    public var schoolName: String
    public var className: String?
    public init(enrolment: Enrolment, schoolName: String, className: String?) {
        self.enrolment = enrolment; self.schoolName = schoolName; self.className = className
    }
}

public struct StaffQuery: Sendable, Hashable {
    public var date: CivilDate
    public var schoolIDs: Set<SchoolID>?
    public var post: StaffPost?
    public var search: String?
    public var offset: Int
    public var limit: Int
    public init(date: CivilDate, schoolIDs: Set<SchoolID>? = nil, post: StaffPost? = nil, search: String? = nil,
                offset: Int = 0, limit: Int = 50) {
        self.date = date; self.schoolIDs = schoolIDs; self.post = post; self.search = search
        self.offset = offset; self.limit = limit
    }
}

/// One line of the audit log: who changed which record when, with the record before and after
/// (JSON of the domain value). Written in the same transaction as the change; never deleted.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// `delete`: the record was removed (its last state is the `before` image), e.g. a period
    /// opened by a year-end run that was undone.
    public enum Action: String, Sendable, Codable { case insert, update, bulkLoad = "bulk_load", delete }
    public var id: Int64
    /// UTC instant, ISO 8601.
    public var at: String
    public var actor: String
    public var action: Action
    public var entity: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public init(id: Int64, at: String, actor: String, action: Action, entity: String, entityID: String,
                before: String?, after: String?) {
        self.id = id; self.at = at; self.actor = actor; self.action = action; self.entity = entity
        self.entityID = entityID; self.before = before; self.after = after
    }
}

/// Counts on a date, for summaries and sanity checks.
public struct RegistryCounts: Sendable, Hashable, Codable {
    public var townships: Int
    public var schoolsOpen: Int
    public var schoolsEver: Int
    public var classes: Int
    public var studentsEnrolled: Int
    public var studentsByStage: [String: Int]
    public var staffEmployed: Int
    public var fullTimeTeachers: Int
    public init(townships: Int, schoolsOpen: Int, schoolsEver: Int, classes: Int, studentsEnrolled: Int,
                studentsByStage: [String: Int], staffEmployed: Int, fullTimeTeachers: Int) {
        self.townships = townships; self.schoolsOpen = schoolsOpen; self.schoolsEver = schoolsEver
        self.classes = classes; self.studentsEnrolled = studentsEnrolled; self.studentsByStage = studentsByStage
        self.staffEmployed = staffEmployed; self.fullTimeTeachers = fullTimeTeachers
    }
}

/// Reads of the registry. Declared here, in the domain, and implemented once on SQL in the
/// storage module for SQLite and PostgreSQL alike.
public protocol RegistryReading: Sendable {
    func district() async throws -> District?
    func townships() async throws -> [Township]
    func schoolZones() async throws -> [SchoolZone]
    func schools(_ filter: SchoolFilter) async throws -> [School]
    func school(id: SchoolID) async throws -> School?
    func school(code: String) async throws -> School?
    func classes(schoolID: SchoolID, year: SchoolYear) async throws -> [SchoolClass]
    func schoolClass(id: ClassID) async throws -> SchoolClass?
    func students(_ query: StudentQuery) async throws -> Page<StudentRow>
    func student(id: StudentID) async throws -> Student?
    func student(number: String) async throws -> Student?
    func enrolments(studentID: StudentID) async throws -> [Enrolment]
    /// The enrolment history with school and class names, in one read (for detail pages).
    func enrolmentHistory(studentID: StudentID) async throws -> [EnrolmentListing]
    /// Periods at the school that start after `date`, earliest first, at most `limit` — what a
    /// merger or closure on `date` would leave stranded at a school that no longer exists.
    func enrolments(startingAt schoolID: SchoolID, after date: CivilDate, limit: Int) async throws -> [Enrolment]
    func staff(_ query: StaffQuery) async throws -> Page<StaffMember>
    func staffMember(id: StaffID) async throws -> StaffMember?
    func staffMember(number: String) async throws -> StaffMember?
    func counts(on date: CivilDate) async throws -> RegistryCounts
    func auditEntries(entity: String?, actor: String?, offset: Int, limit: Int) async throws -> Page<AuditEntry>
}

/// Writes inside one transaction. Each insert and update also appends its audit entry in the
/// same transaction, so a change and its record in the log commit or vanish together.
/// Inserts ignore the given id (use `.unsaved`) and return the record with its new id.
public protocol RegistryWriting: RegistryReading {
    func insert(_ district: District) async throws -> District
    func insert(_ township: Township) async throws -> Township
    func insert(_ zone: SchoolZone) async throws -> SchoolZone
    func insert(_ school: School) async throws -> School
    func update(_ school: School) async throws
    func insert(_ schoolClass: SchoolClass) async throws -> SchoolClass
    func update(_ schoolClass: SchoolClass) async throws
    func insert(_ student: Student) async throws -> Student
    func update(_ student: Student) async throws
    func insert(_ enrolment: Enrolment) async throws -> Enrolment
    func update(_ enrolment: Enrolment) async throws
    func insert(_ staff: StaffMember) async throws -> StaffMember
    func update(_ staff: StaffMember) async throws
    /// Fast path for generated or imported data whose ids are already assigned: no per-row
    /// audit entry; one `bulk_load` entry summarises the batch.
    func bulkInsert(_ batch: RegistryBatch) async throws
}

/// The registry store: reads outside transactions, writes inside one.
public protocol RegistryStore: RegistryReading {
    /// Runs `body` in one transaction attributed to `user`: on any thrown error nothing of it is written.
    func write<T: Sendable>(
        by user: ActingUser, _ body: @escaping @Sendable (any RegistryWriting) async throws -> T
    ) async throws -> T
    /// Whether the store holds no district yet (the run command loads the demo then).
    func isEmpty() async throws -> Bool
}

/// Records with ids already assigned, written together (the demo generator, bulk imports).
public struct RegistryBatch: Sendable {
    public var districts: [District] = []
    public var townships: [Township] = []
    public var zones: [SchoolZone] = []
    public var schools: [School] = []
    public var classes: [SchoolClass] = []
    public var students: [Student] = []
    public var enrolments: [Enrolment] = []
    public var staff: [StaffMember] = []
    public init() {}
    public var recordCount: Int {
        districts.count + townships.count + zones.count + schools.count + classes.count + students.count
            + enrolments.count + staff.count
    }
    public var isEmpty: Bool { recordCount == 0 }
}

extension EntityID {
    /// Placeholder id of a record not yet stored; the store assigns the real one on insert.
    public static var unsaved: Self { Self(0) }
}
