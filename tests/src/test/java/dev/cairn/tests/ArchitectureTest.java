package dev.cairn.tests;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.targetOwner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module dependency direction of the architecture (docs: "Dependency direction"), enforced on the
 * main code of every module on this module's class path:
 *
 * <pre>
 * mgmt-api ──► storage-engine ──► hsm-bridge
 *    │  └────► tape-library
 *    └───────► appliance-os
 * cli composes them all; nothing depends on cli or on mgmt-api.
 * </pre>
 *
 * <p>Rules about modules that do not exist yet ({@code mgmt}, {@code os}) allow an empty subject, so they
 * hold from the first class of that module on. {@link #theImportSeesTheModules} guards against the other
 * way a rule passes vacuously: an import that found no classes (it requires hsm-bridge's, storage-engine's,
 * tape-library's, mgmt-api's and cli's).
 *
 * <p>When a module joins the build, add it as a test dependency of this module, or its classes are not
 * imported and its rules check nothing.
 */
@AnalyzeClasses(packages = "dev.cairn", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {
    /**
     * Test fixtures published as test-jars (hsm-bridge's, storage-engine's) are on this module's class
     * path; in a reactor build after {@code package} they resolve to {@code *-tests.jar} files, which
     * {@link ImportOption.DoNotIncludeTests} (it knows only test class directories) lets through.
     */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String HSM = "dev.cairn.hsm..";
    private static final String ENGINE = "dev.cairn.engine..";
    private static final String TAPE = "dev.cairn.tape..";
    private static final String MGMT = "dev.cairn.mgmt..";
    private static final String OS = "dev.cairn.os..";
    private static final String CLI = "dev.cairn.cli..";

    @ArchTest
    static void theImportSeesTheModules(JavaClasses classes) {
        assertThat(classes.stream().map(JavaClass::getName))
                .as("main classes of hsm-bridge, storage-engine, tape-library, mgmt-api and cli are imported")
                .contains("dev.cairn.hsm.KeyVault", "dev.cairn.engine.repo.Repository", "dev.cairn.tape.device.TapeLibrary",
                        "dev.cairn.mgmt.audit.AuditLog", "dev.cairn.cli.Main")
                .as("no test classes are imported")
                .noneMatch(n -> n.startsWith("dev.cairn.tests.") || n.startsWith("dev.cairn.hsm.testing.")
                        || n.startsWith("dev.cairn.tape.testing.") || n.startsWith("dev.cairn.engine.testing."));
    }

    // ------------------------------------------------------------------ dependency direction

    @ArchTest
    static final ArchRule hsmDependsOnNoOtherCairnModule = noClasses().that().resideInAPackage(HSM)
            .should().dependOnClassesThat(resideInAPackage("dev.cairn..").and(resideInAPackage(HSM).negate()))
            .because("hsm-bridge is the bottom of the key plane: engine, tape, mgmt, os and cli build on it, never the reverse");

    @ArchTest
    static final ArchRule engineDependsOnNeitherTapeNorMgmtNorOsNorCli = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(TAPE, MGMT, OS, CLI)
            .because("storage-engine depends only on hsm-bridge; the control plane composes engine and tape");

    @ArchTest
    static final ArchRule engineLeavesStandAlone = noClasses()
            .that().resideInAnyPackage("dev.cairn.engine.fs..", "dev.cairn.engine.chunk..", "dev.cairn.engine.retention..")
            .should().dependOnClassesThat(resideInAPackage("dev.cairn..")
                    .and(resideInAnyPackage("dev.cairn.engine.fs..", "dev.cairn.engine.chunk..", "dev.cairn.engine.retention..").negate()))
            .because("the native file layer, the chunker and the retention planner are leaves: pure, testable alone, "
                    + "and free of repository, key or HSM types");

    @ArchTest
    static final ArchRule tapeKnowsNothingOfTheEngineOrRocksDb = noClasses().that().resideInAPackage(TAPE)
            .should().dependOnClassesThat().resideInAnyPackage(ENGINE, MGMT, OS, CLI, "org.rocksdb..")
            .because("tape moves named byte streams: no engine types and no RocksDB");

    @ArchTest
    static final ArchRule osDependsOnNeitherEngineNorTapeNorMgmtNorCli = noClasses().that().resideInAPackage(OS)
            .should().dependOnClassesThat().resideInAnyPackage(ENGINE, TAPE, MGMT, CLI)
            .because("appliance-os is host integration that mgmt-api uses, and uses no other module")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule onlyTheCliDependsOnMgmt = noClasses().that().resideOutsideOfPackages(MGMT, CLI)
            .should().dependOnClassesThat().resideInAPackage(MGMT)
            .because("no module depends on mgmt-api; only the command line may compose it");

    @ArchTest
    static final ArchRule nothingDependsOnTheCli = noClasses().that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the command line composes the other modules; nothing depends on it");

    @ArchTest
    static final ArchRule engineHasNoHttp = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAPackage("io.helidon..")
            .because("storage-engine has no HTTP and no Helidon");

    @ArchTest
    static final ArchRule hsmHasNoHttp = noClasses().that().resideInAPackage(HSM)
            .should().dependOnClassesThat().resideInAPackage("io.helidon..")
            .because("the key plane is a library; HTTP belongs to mgmt-api");

    // ------------------------------------------------------------------ output and logging

    @ArchTest
    static final ArchRule onlyMainPrintsStackTraces = noClasses()
            .that().resideInAPackage("dev.cairn..").and().doNotHaveFullyQualifiedName("dev.cairn.cli.Main")
            .should().callMethodWhere(targetOwner(assignableTo(Throwable.class)).and(target(name("printStackTrace"))))
            .because("errors carry a class and context and reach the user as a message; only cli.Main prints a "
                    + "stack trace, and only when CAIRN_DEBUG is set");

    @ArchTest
    static final ArchRule hsmNeitherLogsNorPrints = noClasses().that().resideInAPackage(HSM)
            .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .orShould().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("the key plane reports through KeyEvents and typed exceptions; printing could leak key "
                    + "material or PINs, and the caller decides where output goes");
}
