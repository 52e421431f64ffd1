// OfficeFormats: .xlsx/.csv in, .docx/.xlsx out. See README.md.
