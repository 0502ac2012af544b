import Testing
import Kernels

@Test func cpuFeaturesDescriptionListsOnlyPresentFeatures() {
    let f: CPUFeatures = [.avx2, .fma]
    #expect(f.description == "avx2 fma")
    #expect(CPUFeatures([]).description == "portable")
}
