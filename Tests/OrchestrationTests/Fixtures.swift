import Foundation
import Orchestration

/// Where the loader tests find their fixture projects (via `#filePath`, not bundles).
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let repoRoot = testsDirectory.deletingLastPathComponent()
    static let projects = testsDirectory.appendingPathComponent("Fixtures/projects")
    static let broken = testsDirectory.appendingPathComponent("Fixtures/broken")

    static func project(_ name: String) -> URL { projects.appendingPathComponent(name) }
    static func brokenProject(_ name: String) -> URL { broken.appendingPathComponent(name) }

    /// Loads a fixture project and returns its diagnostics rendered, one string each.
    static func problems(_ root: URL) -> [String] {
        Project.load(root: root).1.map(\.description)
    }
}
