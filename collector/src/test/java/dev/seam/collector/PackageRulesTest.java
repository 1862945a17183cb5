package dev.seam.collector;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the README describes holds in the compiled code: the data flows through
 * packages without import cycles, and only the root package (which assembles Seam) knows them all.
 */
class PackageRulesTest {

  private static JavaClasses seam;

  @BeforeAll
  static void importSeam() {
    seam =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.seam.collector");
  }

  @Test
  void noCycleBetweenPackages() {
    slices().matching("dev.seam.collector.(**)").should().beFreeOfCycles().check(seam);
  }

  @Test
  void nothingDependsOnTheAssembly() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.seam.collector")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.seam.collector")
        .because("the root package assembles the components; they must not reach back into it")
        .check(seam);
  }

  @Test
  void componentsDoNotReadTheWholeConfiguration() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.seam.collector", "dev.seam.collector.config")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.seam.collector.config")
        .because("each component takes its own config record, not SeamConfig")
        .check(seam);
  }
}
