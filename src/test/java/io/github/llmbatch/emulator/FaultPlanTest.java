package io.github.llmbatch.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    @Test
    void noneAndBlankSpecsInjectNothing() {
        assertSame(FaultPlan.none(), FaultPlan.parse(null));
        assertSame(FaultPlan.none(), FaultPlan.parse("  "));
        FaultPlan none = FaultPlan.none();
        for (ApiRoute route : ApiRoute.values()) {
            assertTrue(none.httpFaults(route).isEmpty());
        }
        assertTrue(none.shuffle());
        assertNull(none.retryAfterSeconds());
        assertFalse(none.expires(1));
    }

    @Test
    void parsesHttpFaultsPerRoute() {
        FaultPlan plan = FaultPlan.parse(
                "upload=500x1; create=429x1 ;retrieve=502x2,500;content=500x1;list=503x1;files=500;file=404x3;"
                        + "delete=500;cancel=502;retryAfter=1;uploadLost=500;createLost=502x2");
        assertEquals(List.of(new FaultPlan.HttpFault(500, 1)), plan.httpFaults(ApiRoute.UPLOAD));
        assertEquals(List.of(new FaultPlan.HttpFault(429, 1)), plan.httpFaults(ApiRoute.CREATE_BATCH));
        assertEquals(List.of(new FaultPlan.HttpFault(502, 2), new FaultPlan.HttpFault(500, 1)),
                plan.httpFaults(ApiRoute.RETRIEVE_BATCH));
        assertEquals(List.of(new FaultPlan.HttpFault(500, 1)), plan.httpFaults(ApiRoute.FILE_CONTENT));
        assertEquals(List.of(new FaultPlan.HttpFault(503, 1)), plan.httpFaults(ApiRoute.LIST_BATCHES));
        assertEquals(List.of(new FaultPlan.HttpFault(500, 1)), plan.httpFaults(ApiRoute.LIST_FILES));
        assertEquals(List.of(new FaultPlan.HttpFault(404, 3)), plan.httpFaults(ApiRoute.RETRIEVE_FILE));
        assertEquals(List.of(new FaultPlan.HttpFault(500, 1)), plan.httpFaults(ApiRoute.DELETE_FILE));
        assertEquals(List.of(new FaultPlan.HttpFault(502, 1)), plan.httpFaults(ApiRoute.CANCEL_BATCH));
        assertEquals(List.of(new FaultPlan.HttpFault(500, 1)), plan.lostResponses(ApiRoute.UPLOAD));
        assertEquals(List.of(new FaultPlan.HttpFault(502, 2)), plan.lostResponses(ApiRoute.CREATE_BATCH));
        assertEquals(1, plan.retryAfterSeconds());
    }

    @Test
    void injectorUsesHttpFaultsUpInOrder() {
        FaultInjector injector = new FaultInjector(FaultPlan.parse("retrieve=502x2,500"));
        assertEquals(502, injector.nextHttpFault(ApiRoute.RETRIEVE_BATCH));
        assertEquals(0, injector.nextHttpFault(ApiRoute.LIST_BATCHES));
        assertEquals(502, injector.nextHttpFault(ApiRoute.RETRIEVE_BATCH));
        assertEquals(500, injector.nextHttpFault(ApiRoute.RETRIEVE_BATCH));
        assertEquals(0, injector.nextHttpFault(ApiRoute.RETRIEVE_BATCH));
    }

    @Test
    void parsesRequestAndBatchFaults() {
        FaultPlan plan = FaultPlan.parse("fail400=bad-.*;fail500=r-1[0-9];fail429=x;timeout=t.*;drop=d-1;"
                + "expire=2;allFail=1,3;tokenLimit=4;shuffle=false");
        assertTrue(plan.fail400().matcher("bad-7").matches());
        assertTrue(plan.fail500().matcher("r-12").matches());
        assertFalse(plan.fail500().matcher("r-123").matches());
        assertEquals("x", plan.fail429().pattern());
        assertEquals("t.*", plan.timeout().pattern());
        assertEquals("d-1", plan.drop().pattern());
        assertTrue(plan.expires(2));
        assertFalse(plan.expires(1));
        assertTrue(plan.failsAll(1));
        assertTrue(plan.failsAll(3));
        assertFalse(plan.failsAll(2));
        assertTrue(plan.exceedsTokenLimit(4));
        assertFalse(plan.shuffle());
    }

    @Test
    void firstTimeFaultsApplyOncePerCustomIdAndFail400Always() {
        FaultInjector injector = new FaultInjector(FaultPlan.parse("fail400=p-.*;fail500=a|both;timeout=b|both;"
                + "drop=c;fail429=e"));
        assertEquals(FaultInjector.LineFault.HTTP_400, injector.lineFault("p-1"));
        assertEquals(FaultInjector.LineFault.HTTP_400, injector.lineFault("p-1"));
        assertEquals(FaultInjector.LineFault.HTTP_500, injector.lineFault("a"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("a"));
        assertEquals(FaultInjector.LineFault.TIMEOUT, injector.lineFault("b"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("b"));
        assertEquals(FaultInjector.LineFault.DROP, injector.lineFault("c"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("c"));
        assertEquals(FaultInjector.LineFault.HTTP_429, injector.lineFault("e"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("e"));
        // several first-time faults: one per run, in the documented order
        assertEquals(FaultInjector.LineFault.HTTP_500, injector.lineFault("both"));
        assertEquals(FaultInjector.LineFault.TIMEOUT, injector.lineFault("both"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("both"));
        assertEquals(FaultInjector.LineFault.NONE, injector.lineFault("other"));
    }

    @Test
    void damagedDownloadsAreCorruptFirstThenTruncatedThenWhole() {
        FaultInjector injector = new FaultInjector(FaultPlan.parse("corruptOutput=2;truncateOutput=1"));
        assertEquals(OutputDamage.CORRUPT, injector.nextOutputDamage());
        assertEquals(OutputDamage.CORRUPT, injector.nextOutputDamage());
        assertEquals(OutputDamage.TRUNCATE, injector.nextOutputDamage());
        assertNull(injector.nextOutputDamage());
        assertNull(new FaultInjector(FaultPlan.none()).nextOutputDamage());

        byte[] file = "{\"custom_id\":\"a\"}\n{\"custom_id\":\"b\",\"x\":1}\n{\"custom_id\":\"c\"}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"custom_id\":\"a\"}\n{\"custom_id",
                new String(OutputDamage.TRUNCATE.apply(file), java.nio.charset.StandardCharsets.UTF_8));
        byte[] corrupt = OutputDamage.CORRUPT.apply(file);
        assertEquals(file.length, corrupt.length);
        assertEquals("{\"custom_id", new String(corrupt, 18, 11, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(0, corrupt[29], "the line's second half is junk");
        assertEquals((byte) 0xFF, corrupt[40]);
        assertEquals('\n', corrupt[41], "the line ends where it did");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultPlan.parse("truncateOutput=some"));
        assertTrue(e.getMessage().contains("truncateOutput=some"), e.getMessage());
    }

    @Test
    void timingAndLimitKeysOverrideTheConfiguration() {
        FaultPlan plan = FaultPlan.parse("validatingMs=5;inProgressMs=6;finalizingMs=7;cancellingMs=8;"
                + "maxRequests=9;maxInputBytes=10;maxUploadBytes=11;maxEmbeddingInputs=12");
        assertEquals(new EmulatorTimings(5, 6, 7, 8), plan.applyTo(EmulatorTimings.defaults()));
        assertEquals(new EmulatorLimits(11, 10, 9, 12), plan.applyTo(EmulatorLimits.defaults()));
        EmulatorTimings mine = new EmulatorTimings(1, 2, 3, 4);
        assertEquals(mine, FaultPlan.parse("shuffle=true").applyTo(mine));
    }

    @Test
    void rejectsUnknownKeysNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FaultPlan.parse("upload=500x1;explode=1"));
        assertTrue(e.getMessage().contains("'explode'"), e.getMessage());
        assertTrue(e.getMessage().contains("fail500"), e.getMessage());
        assertTrue(e.getMessage().contains("createLost"), e.getMessage());
    }

    @Test
    void rejectsBadValuesWithTheKeyInTheMessage() {
        assertRejected("upload=200x1", "upload");
        assertRejected("upload=500x0", "upload");
        assertRejected("create=abc", "create");
        assertRejected("fail500=[", "fail500");
        assertRejected("expire=0", "expire");
        assertRejected("allFail=one", "allFail");
        assertRejected("shuffle=maybe", "shuffle");
        assertRejected("validatingMs=-1", "validatingMs");
        assertRejected("retryAfter=soon", "retryAfter");
        assertRejected("maxRequests=0", "maxRequests");
        assertRejected("upload", "upload");
        assertRejected("upload=", "upload");
        assertRejected("upload=500;upload=502", "twice");
    }

    @Test
    void keepsItsSpec() {
        assertEquals("upload=500x1", FaultPlan.parse(" upload=500x1 ").spec());
        assertTrue(FaultPlan.keys().containsAll(List.of("upload", "create", "retrieve", "content", "list",
                "retryAfter", "fail400", "fail500", "fail429", "timeout", "drop", "expire", "allFail", "tokenLimit",
                "shuffle", "validatingMs", "inProgressMs", "finalizingMs")));
    }

    private static void assertRejected(String spec, String mentioned) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultPlan.parse(spec), spec);
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }
}
