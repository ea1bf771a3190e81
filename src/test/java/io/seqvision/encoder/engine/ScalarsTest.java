package io.seqvision.encoder.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.seqvision.testing.FreedMemoryChurn;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    private static final float[] X = {1f, 2f, 4f, -0.5f};

    @Test
    void gradientsSurviveTheScalarsBeingFreedBeforeTheBackwardPass() {
        assertArrayEquals(new float[] {3f, 3f, 3f, 3f}, gradientAfterChurn(Scalars::mul, 3));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, gradientAfterChurn(Scalars::div, 4));
        assertArrayEquals(new float[] {2f, 4f, 8f, -1f}, gradientAfterChurn(Scalars::pow, 2));
        assertArrayEquals(new float[] {0f, 1f, 1f, 0f}, gradientAfterChurn(Scalars::maximum, 1.5));
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, gradientAfterChurn(Scalars::minimum, 1.5));
    }

    /** Without this the test above could pass by never freeing anything. */
    @Test
    void theChurnBreaksDjlsOwnNumberOverloads() {
        int wrong = 0;
        for (int trial = 0; trial < 5; trial++) {
            float[] gradient = gradientAfterChurn((x, v) -> x.mul(v.floatValue()), 3);
            wrong += gradient[0] == 3f ? 0 : 1;
        }
        assertTrue(wrong > 0, "DJL's mul(Number) kept its gradient through the churn in 5 of 5 trials: "
                + "if DJL now copies such scalars, Scalars is no longer needed");
    }

    @Test
    void valuesMatchPlainJava() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            assertArrayEquals(new float[] {2.5f, 5f, 10f, -1.25f}, Scalars.mul(x, 2.5).toFloatArray());
            assertArrayEquals(new float[] {1f / 3, 2f / 3, 4f / 3, -0.5f / 3}, Scalars.div(x, 3).toFloatArray());
            assertArrayEquals(new float[] {1f, 8f, 64f, -0.125f}, Scalars.pow(x, 3).toFloatArray());
            assertArrayEquals(new float[] {1f, 2f, 4f, 0f}, Scalars.maximum(x, 0).toFloatArray());
            assertArrayEquals(new float[] {1f, 1f, 1f, -0.5f}, Scalars.minimum(x, 1).toFloatArray());
        }
    }

    /** Half arrays are scaled by the float32 value, as DJL's overloads scale them, not by its half rounding. */
    @Test
    void halfArraysKeepTheirTypeAndUseTheFloatValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1000f, 3f}).toType(DataType.FLOAT16, false);
            double scale = 1 / Math.sqrt(32);
            NDArray ours = Scalars.mul(x, scale);
            NDArray djl = x.mul((float) scale);
            assertEquals(DataType.FLOAT16, ours.getDataType());
            assertArrayEquals(djl.toType(DataType.FLOAT32, false).toFloatArray(),
                    ours.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void integerArraysKeepTheirTypeAndRefuseFractions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(0, 4, 1, DataType.INT64);
            NDArray tripled = Scalars.mul(x, 3);
            assertEquals(DataType.INT64, tripled.getDataType());
            assertArrayEquals(new long[] {0, 3, 6, 9}, tripled.toLongArray());
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Scalars.mul(x, 0.5));
            assertTrue(error.getMessage().contains("0.5"), error.getMessage());
        }
    }

    @Test
    void theScalarIsZeroDimensionalAndOwnedByTheArraysManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            try (NDArray scalar = Scalars.of(x, 2)) {
                assertEquals(new Shape(), scalar.getShape());
                assertEquals(DataType.FLOAT32, scalar.getDataType());
                assertEquals(manager, scalar.getManager());
            }
        }
    }

    /** Product code goes through Scalars; the benchmarks' reference code runs without autograd. */
    @Test
    void noProductCodeUsesDjlsNumberOverloadsThatAutogradKeeps() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.seqvision");
        Set<String> kept = Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum", "minimum", "rdiv", "rdivi");
        DescribedPredicate<JavaCall<?>> numberOverload = DescribedPredicate.describe(
                "an NDArray/NDArrays method that saves a Number as a Java-backed array for the backward pass",
                call -> (call.getTargetOwner().isAssignableTo(NDArray.class)
                                || call.getTargetOwner().isEquivalentTo(NDArrays.class))
                        && kept.contains(call.getName())
                        && call.getTarget().getRawParameterTypes().stream()
                                .anyMatch(type -> type.isEquivalentTo(Number.class)));
        noClasses().that().resideOutsideOfPackage("io.seqvision.bench..")
                .should().callCodeUnitWhere(numberOverload)
                .because("the engine keeps the scalar for the backward pass after DJL frees it; use Scalars")
                .check(classes);
    }

    private static float[] gradientAfterChurn(BiFunction<NDArray, Double, NDArray> op, double value) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x, value).sum();
                FreedMemoryChurn.once();
                FreedMemoryChurn.once();
                collector.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }
}
