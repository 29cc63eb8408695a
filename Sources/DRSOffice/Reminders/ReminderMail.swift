import Foundation

/// A reminder (催报) e-mail, composed without sending it: the Chinese subject and body, and the
/// message as RFC 5322 text — the subject an RFC 2047 encoded-word, the body base64 of UTF-8 — so
/// that every mail server and client carries the Chinese intact.
public struct ReminderMail: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date
    /// `<id@host>`: unique per reminder, so a resent file is recognisably the same message.
    public var messageID: String

    public init(from: String, to: String, subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// What the reminder says: the unit, the year, the forms still owed, the deadline.
    public struct Content: Sendable, Equatable {
        public var unitName: String
        public var year: Int
        /// Table numbers with their state (`公共1表（未填报）`).
        public var forms: [String]
        /// `2027年3月10日`.
        public var deadline: String
        /// Past the deadline (逾期) rather than merely not yet submitted (未报).
        public var overdue: Bool

        public init(unitName: String, year: Int, forms: [String], deadline: String, overdue: Bool) {
            self.unitName = unitName
            self.year = year
            self.forms = forms
            self.deadline = deadline
            self.overdue = overdue
        }
    }

    /// The reminder to one unit, in Chinese.
    public static func reminder(_ content: Content, from: String, to: String, date: Date, id: UUID) -> ReminderMail {
        let subject = "【催报】请于\(content.deadline)前报送\(content.year)年度全国数据资源调查表"
        let state = content.overdue
            ? "报送截止日期\(content.deadline)已过，贵单位以下报表仍未报送，现已逾期。请尽快登录数据资源调查平台完成填报并提交。"
            : "报送截止日期为\(content.deadline)，贵单位以下报表尚未提交。请在截止日期前登录数据资源调查平台完成填报并提交。"
        let lines = ["\(content.unitName)：", "",
                     "根据《全国数据资源统计调查制度》，贵单位应报送\(content.year)年度全国数据资源调查表。\(state)", ""]
            + content.forms.map { "  · \($0)" }
            + ["", "依法如实、按时报送统计资料是调查单位的法定义务。如已报送，请忽略本提醒；如有疑问，请联系本地区数据管理部门。", "",
               "国家数据局", "（本邮件由数据资源调查平台发送，请勿直接回复。）"]
        let host = from.split(separator: "@").last.map(String.init) ?? "drs.invalid"
        return ReminderMail(from: from, to: to, subject: subject, body: lines.joined(separator: "\r\n"), date: date,
                            messageID: "<\(id.uuidString.lowercased())@\(host)>")
    }

    /// The display name of the sender.
    public static let senderName = "国家数据局数据资源调查平台"

    /// The message as RFC 5322 text with CRLF line ends, ready for SMTP or an `.eml` file.
    public var rfc5322: String {
        let headers = [
            "From: \(Self.encodedWords(Self.senderName)) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + Self.base64Lines(body) + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words, each at most 75 characters, split between characters (never
    /// inside one), folded onto continuation lines. ASCII-only text is left as it is.
    public static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        // 75 − len("=?UTF-8?B?" + "?=") = 63 base64 characters: at most 45 bytes (a multiple of 3) per word.
        var words: [String] = [], chunk: [UInt8] = []
        func close() { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                close()
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { close() }
        return words.joined(separator: "\r\n ")
    }

    /// Base64 of the UTF-8 text in lines of 76 characters (RFC 2045).
    public static func base64Lines(_ text: String) -> String {
        let encoded = Array(Data(text.utf8).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        }.joined(separator: "\r\n")
    }

    /// `Fri, 04 Dec 2026 10:19:24 +0800`, in Beijing time (English names, as RFC 5322 requires).
    public static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
