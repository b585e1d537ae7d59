/// Quoting for a POSIX shell on the far side of `ssh` or `minikube ssh`, both of which join
/// their arguments with spaces and hand the result to the remote shell. This is the one
/// place that makes such a string; every word goes through `quote`.
public enum ShellQuote {
    /// Safe characters pass as they are; anything else is put in single quotes, with each
    /// `'` written as `'\''`. Newlines, `$()`, `;` and quotes all survive unchanged.
    public static func quote(_ word: String) -> String {
        if word.isEmpty { return "''" }
        if word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }

    /// The words as one command line for a remote shell.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "_", "-", ".", "/", ":", "@", "%", "+", ",": return true
        default: return false
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
