import Foundation
import Testing
import Vapor

@Suite("Bad input gets a clear 4xx and changes nothing", .serialized)
struct BadInputTests {
    @Test func everyKindOfBadFigureIsRefused() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            let path = client.submissionPath("P2")
            #expect(try await client.send(.PUT, path, json: #"{"version":0,"values":{"01":{"cum":"100"}}}"#).status == .ok)
            let cases: [(String, HTTPStatus, String, String)] = [
                (#"{"version":1,"values":{"01":{"cum":"abc"}}}"#, .unprocessableEntity, "invalid_input", "values.01.cum：「abc」不是数字"),
                (#"{"version":1,"values":{"01":{"cum":"12,3a"}}}"#, .unprocessableEntity, "invalid_input", "不是数字"),
                (#"{"version":1,"values":{"01":{"cum":1e999}}}"#, .unprocessableEntity, "invalid_input", "数值过大"),
                (#"{"version":1,"values":{"01":{"cum":"99999999999999999"}}}"#, .unprocessableEntity, "invalid_input", "数值过大"),
                (#"{"version":1,"values":{"01":{"cum":"1.1234567"}}}"#, .unprocessableEntity, "invalid_input", "小数位数过多"),
                (#"{"version":1,"values":{"99":{"cum":"1"}}}"#, .unprocessableEntity, "invalid_input", "未知的指标代码「99」"),
                (#"{"version":1,"values":{"01":{"next":"1"}}}"#, .unprocessableEntity, "invalid_input", "没有「下年预估」栏"),
                (#"{"version":1,"values":{"01":{"cum":true}}}"#, .unprocessableEntity, "invalid_input", "应为数值"),
                (#"{"version":1,"values":{"01":{"cum":"1"}}"#, .badRequest, "malformed_json", "JSON 格式错误"),
                (#"[1,2,3]"#, .badRequest, "malformed_body", "JSON 对象"),
                (#"{"values":{"01":{"cum":"1"}}}"#, .unprocessableEntity, "missing_version", "version"),
                (#"{"version":1,"values":{},"extra":1}"#, .unprocessableEntity, "invalid_input", "未知的字段"),
            ]
            for (body, status, code, message) in cases {
                let reply = try await client.send(.PUT, path, json: body)
                #expect(reply.status == status, "\(body) → \(reply.status) \(reply.text)")
                #expect(reply.errorCode == code, "\(body) → \(reply.text)")
                #expect(reply.errorMessage?.contains(message) == true, "\(body) → \(reply.text)")
            }
            // Negative figures are kept as typed but reported next to the cell.
            let negative = try await client.send(.POST, path + "/check", json: #"{"values":{"01":{"cum":"-5"}}}"#)
            #expect(((negative.json["report"] as? [String: Any])?["errors"] as? [[String: Any]])?.contains { ($0["message"] as? String)?.contains("不能为负数") == true } == true)
            // An oversized body.
            let huge = #"{"version":1,"values":{"01":{"cum":""# + String(repeating: "1", count: 2_000_000) + #""}}}"#
            #expect(try await client.send(.PUT, path, json: huge).status == .payloadTooLarge)
            // Stored data unchanged: still version 1 with 100.
            let stored = try await client.send(.GET, path).json["submission"] as! [String: Any]
            #expect(stored["version"] as? Int == 1)
            #expect(((stored["values"] as! [String: [String: Any]])["01"])?["cum"] as? String == "100")
        }
    }

    @Test func unknownFormsAndYearsAreNotFound() async throws {
        try await TestPlatform.run { app in
            var client = Client(app)
            try await client.login("beijing-data")
            #expect(try await client.send(.GET, client.submissionPath("E2")).status == .notFound)   // not this unit's form
            #expect(try await client.send(.GET, client.submissionPath("X9")).status == .notFound)
            #expect(try await client.send(.GET, client.submissionPath("P2", year: 2030)).status == .notFound)
            #expect(try await client.send(.GET, "/api/v1/units/not-a-uuid/submissions/2026/P2").status == .notFound)
        }
    }

    @Test func registryRefusesABadCreditCodeWithTheReason() async throws {
        try await TestPlatform.run { app in
            var admin = Client(app)
            try await admin.login("admin")
            let before = (try await admin.send(.GET, "/api/v1/units").json["units"] as! [Any]).count
            let reply = try await admin.send(.POST, "/api/v1/units", json: #"""
                {"creditCode":"91350100M000100Y44","name":"测试单位","regionCode":"350100","types":["dataTechEnterprise"]}
                """#)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorMessage?.contains("第18位（校验码）应为「3」") == true)
            let good = try await admin.send(.POST, "/api/v1/units", json: #"""
                {"creditCode":"91350100M000100Y43","name":"测试单位","regionCode":"350100","types":["dataTechEnterprise"]}
                """#)
            #expect(good.status == .created, "\(good.text)")
            #expect((try await admin.send(.GET, "/api/v1/units").json["units"] as! [Any]).count == before + 1)
        }
    }
}
