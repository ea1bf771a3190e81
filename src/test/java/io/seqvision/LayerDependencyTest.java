package io.seqvision;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: tokenizers and encoder, then decoder, then tasks, then web; the
 * benchmarks ({@code io.seqvision.bench}, the {@code bench/} source root) may use any of them and
 * nothing else may use the benchmarks.
 */
class LayerDependencyTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.seqvision");

    @Test
    void layersDependOnlyDownwards() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("tokenizers").definedBy("io.seqvision.tokenizers..")
                .layer("encoder").definedBy("io.seqvision.encoder..")
                .layer("decoder").definedBy("io.seqvision.decoder..")
                .layer("tasks").definedBy("io.seqvision.tasks..")
                .optionalLayer("web").definedBy("io.seqvision.web..")
                .whereLayer("web").mayNotBeAccessedByAnyLayer()
                .whereLayer("tasks").mayOnlyBeAccessedByLayers("web")
                .whereLayer("decoder").mayOnlyBeAccessedByLayers("tasks", "web")
                .whereLayer("encoder").mayOnlyBeAccessedByLayers("decoder", "tasks", "web")
                .whereLayer("tokenizers").mayOnlyBeAccessedByLayers("tasks", "web")
                .check(CLASSES);
    }

    @Test
    void nothingOutsideTheBenchmarksDependsOnThem() {
        noClasses().that().resideOutsideOfPackage("io.seqvision.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.seqvision.bench..")
                .check(CLASSES);
    }
}
