@testable import DRSOffice
import DRSStorage
import Foundation
import Testing

/// The office's pure parts of reminders and the audit export (DRSOffice; this target links it).
@Suite("Reminder e-mail and audit CSV")
struct ReminderMailTests {
    static let content = ReminderMail.Content(unitName: "北京中关村实验室", year: 2026, forms: ["公共1表（未填报）", "公共2表（草稿）"],
                                              deadline: "2027年3月10日", overdue: false)
    static let mail = ReminderMail.reminder(content, from: "drs@office.example", to: "filer@lab.example",
                                            date: Date(timeIntervalSince1970: 1_796_000_000), id: UUID())

    @Test func theSubjectIsEncodedWordsOfAtMost75CharactersThatDecodeToTheChineseSubject() throws {
        let encoded = ReminderMail.encodedWords(Self.mail.subject)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var bytes: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = String(word.dropFirst(10).dropLast(2))
            bytes += try #require(Data(base64Encoded: payload))
            // Each word decodes on its own: no character is split between two words.
            #expect(String(bytes: try #require(Data(base64Encoded: payload)), encoding: .utf8) != nil)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == Self.mail.subject)
        #expect(Self.mail.subject.contains("2027年3月10日"))
        #expect(ReminderMail.encodedWords("Reminder") == "Reminder")
    }

    @Test func theMessageIsASCIIWithCRLFAndABase64UTF8BodyThatSaysTheDeadline() throws {
        let text = Self.mail.rfc5322
        #expect(text.utf8.allSatisfy { $0 < 0x80 })
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        let headers = try #require(parts.first)
        for header in ["To: <filer@lab.example>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8",
                       "Content-Transfer-Encoding: base64", "Message-ID: <"] {
            #expect(headers.contains(header), "missing \(header)")
        }
        #expect(headers.contains("From: =?UTF-8?B?"))
        #expect(headers.contains("Date: ") && headers.contains("+0800"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let lines = try #require(parts.last).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.allSatisfy { $0.count <= 76 })
        let body = String(decoding: try #require(Data(base64Encoded: lines.joined())), as: UTF8.self)
        #expect(body == Self.mail.body)
        for phrase in ["北京中关村实验室", "2027年3月10日", "公共1表（未填报）", "公共2表（草稿）", "国家数据局"] {
            #expect(body.contains(phrase), "body lacks \(phrase)")
        }
    }

    @Test func anOverdueReminderSaysSo() {
        var content = Self.content
        content.overdue = true
        let mail = ReminderMail.reminder(content, from: "a@b.cn", to: "c@d.cn", date: Date(), id: UUID())
        #expect(mail.body.contains("现已逾期"))
        #expect(!Self.mail.body.contains("逾期"))
    }

    @Test func onlyPlainMailboxesAreTakenAsAddresses() {
        for good in ["filer@lab.example", "zhang.san+drs@mail.gov.cn"] { #expect(ContactEmail.isPlausible(good), "\(good)") }
        for bad in ["", "010-12345678", "a@b", "a b@c.cn", "a@b.cn\r\nBcc: x@y.cn", "<a@b.cn>", "-oProxy@x.cn", "a@@b.cn", "张三@例子.中国"] {
            #expect(!ContactEmail.isPlausible(bad), "\(bad)")
        }
    }

    @Test func theOutboxGetsOneEMLFilePerReminder() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("drs-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let delivery = MailDelivery.outbox(directory: directory, from: "drs@office.example")
        try await delivery.deliver(Self.mail, name: "test-reminder")
        let written = try String(contentsOf: directory.appendingPathComponent("test-reminder.eml"), encoding: .utf8)
        #expect(written == Self.mail.rfc5322)
        #expect(delivery.channel == .outbox)
    }

    @Test func theEnvironmentChoosesSMTPOrTheOutbox() {
        let storage = StorageLocation.sqliteFile("/var/lib/drs/drs.sqlite")
        #expect(MailDelivery.configured(environment: [:], storage: storage)
                == .outbox(directory: URL(fileURLWithPath: "/var/lib/drs/outbox"), from: "noreply@drs.invalid"))
        #expect(MailDelivery.configured(environment: ["DRS_OUTBOX": "/tmp/mail"], storage: storage)
                == .outbox(directory: URL(fileURLWithPath: "/tmp/mail"), from: "noreply@drs.invalid"))
        #expect(MailDelivery.configured(environment: ["DRS_SMTP_URL": "smtp://mail.example:25", "DRS_SMTP_FROM": "drs@office.example"], storage: storage)
                == .smtp(url: "smtp://mail.example:25", from: "drs@office.example", timeout: 30))
        // Not an SMTP URL: the outbox, never a surprise protocol handed to curl.
        #expect(MailDelivery.configured(environment: ["DRS_SMTP_URL": "file:///etc/passwd"], storage: storage).channel == .outbox)
    }

    @Test func smtpToANonListeningPortFailsWithAReasonInsteadOfHanging() async throws {
        let delivery = MailDelivery.smtp(url: "smtp://127.0.0.1:9", from: "drs@office.example", timeout: 5)
        await #expect(throws: MailDelivery.Failure.self) { try await delivery.deliver(Self.mail, name: "x") }
    }

    @Test func temporaryPasswordsMeetThePolicy() {
        for _ in 0..<50 {
            let password = TemporaryPassword.make(for: "beijing-data")
            #expect(PasswordPolicy.problem(password, username: "beijing-data") == nil)
            #expect(password.count >= PasswordPolicy.minimumLength)
        }
    }

    @Test func theAuditCSVHasABOMAndDisarmsFormulas() {
        let event = AuditEvent(at: Date(timeIntervalSince1970: 1_796_000_000), userID: nil, username: "=cmd|' /C calc'!A0", address: "10.0.0.1",
                               kind: .reminderSent, detail: "@SUM(1+1); 说明")
        let text = AuditSearch.csv([event], units: [:], kindName: { _ in "催报" })
        #expect(text.hasPrefix("\u{FEFF}时间（北京时间）,类别,用户"))
        #expect(text.contains("'=cmd|' /C calc'!A0"))
        #expect(text.contains("'@SUM(1+1); 说明"))
        #expect(text.contains(",催报,"))
        #expect(text.hasSuffix("\r\n"))
    }

    @Test func beijingDaysAndTimes() throws {
        let start = try #require(AuditSearch.beijingDayStart("2026-12-04"))
        #expect(AuditSearch.beijingTime(start) == "2026-12-04 00:00:00")
        #expect(AuditSearch.beijingDayStart("2026-13-40") == nil)
        #expect(AuditSearch.beijingDayStart("yesterday") == nil)
    }
}
