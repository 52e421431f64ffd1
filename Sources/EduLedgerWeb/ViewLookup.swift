import Mustache

// Direct key lookup for the view models rendered on every page and on the busiest detail page.
// Without it the template engine reflects over each value with `Mirror` on every lookup,
// which made the student page several times slower than its JSON twin (see BENCHMARKS.md).
// Each `child(named:)` lists exactly the stored properties of its type.

extension ViewContext: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "chrome": return chrome
        case "page": return page
        default: return nil
        }
    }
}

extension Chrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": return title
        case "userName": return userName
        case "roleTitle": return roleTitle
        case "csrf": return csrf
        case "navHTML": return navHTML
        case "loggedIn": return loggedIn
        default: return nil
        }
    }
}

extension StudentsController.EnrolmentView: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "school": return school
        case "schoolHref": return schoolHref
        case "grade": return grade
        case "className": return className
        case "from": return from
        case "until": return until
        case "entry": return entry
        case "exit": return exit
        default: return nil
        }
    }
}

extension StudentsController.DetailPage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "name": return self.name
        case "studentNumber": return studentNumber
        case "gender": return gender
        case "birthDate": return birthDate
        case "residentID": return residentID
        case "ethnicity": return ethnicity
        case "hukouType": return hukouType
        case "flags": return flags
        case "hasFlags": return hasFlags
        case "enrolments": return enrolments
        case "canEdit": return canEdit
        case "saved": return saved
        case "current": return current
        default: return nil
        }
    }
}
