import Testing
import Orchestration

/// Which steps `franca eval` scores, read from the repository's chains (expectations from the YAML files).
@Suite struct EvaluatorChainOptionsTests {
    @Test func contractComplianceStepsAreScoredByWhatTheyWrite() throws {
        let project = try #require(RepoModels.project)
        let chain = try #require(project.chain("contract-compliance"))
        let options = Evaluator.Options(chain: chain, project: project)
        #expect(options.entitySteps == ["pii"])                 // rampart-pii: bio-spans into entities
        #expect(options.obligationSteps == ["obligations"])     // smollm2-obligations (fallback gemma3-obligations)
        #expect(options.checkSteps == ["pii-spans", "obligation-clauses", "evidence", "record"])
    }

    @Test func codeChangeScoresNoEntitiesOrObligations() throws {
        let project = try #require(RepoModels.project)
        let chain = try #require(project.chain("code-change"))
        let options = Evaluator.Options(chain: chain, project: project)
        #expect(options.entitySteps.isEmpty && options.obligationSteps.isEmpty)
        #expect(options.checkSteps == ["applies", "record"])
    }
}
