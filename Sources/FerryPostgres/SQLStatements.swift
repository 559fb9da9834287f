import Foundation

/// Splits a migration's SQL into statements (postgres-nio sends one statement per query):
/// at each `;` outside a quoted string and a `$$` function body, once `--` comment lines
/// are dropped. Enough for the schema ferry writes itself, which is all it is used on.
func sqlStatements(_ script: String) -> [String] {
    let code = script.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        .joined(separator: "\n")
    var statements: [String] = []
    var current = ""
    var inString = false
    var inBody = false
    var previous: Character = " "
    for character in code {
        current.append(character)
        if character == "'", !inBody {
            inString.toggle()
        } else if character == "$", previous == "$", !inString {
            inBody.toggle()
            previous = " "
            continue
        } else if character == ";", !inString, !inBody {
            statements.append(current)
            current = ""
        }
        previous = character
    }
    statements.append(current)
    return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
}
