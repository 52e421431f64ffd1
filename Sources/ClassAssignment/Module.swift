// ClassAssignment
