package io.github.llmbatch.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderIsRefusedWithTheFirstOnesNameUntilItIsReleased() throws Exception {
        Path instance = dir.resolve("instance-3");
        assertFalse(InstanceLock.isHeld(instance), "no directory, no lock");
        InstanceLock first = InstanceLock.acquire(instance, "execution 11");
        try {
            assertTrue(Files.readString(instance.resolve(InstanceLock.FILE_NAME)).startsWith("execution 11, pid "
                    + ProcessHandle.current().pid()));
            InstanceLock.InstanceBusyException e = assertThrows(InstanceLock.InstanceBusyException.class,
                    () -> InstanceLock.acquire(instance, "execution 12"));
            assertTrue(e.getMessage().contains("execution 11") && e.getMessage().contains(instance.toString()),
                    e.getMessage());
            assertTrue(InstanceLock.isHeld(instance));
            assertTrue(Files.readString(instance.resolve(InstanceLock.FILE_NAME)).startsWith("execution 11"),
                    "a refused attempt does not overwrite the holder's name");
        } finally {
            first.close();
        }
        assertFalse(InstanceLock.isHeld(instance));
        try (InstanceLock second = InstanceLock.acquire(instance, "execution 12")) {
            assertTrue(Files.readString(instance.resolve(InstanceLock.FILE_NAME)).startsWith("execution 12, pid"));
        }
    }

    @Test
    void differentInstancesDoNotBlockEachOther() {
        try (InstanceLock a = InstanceLock.acquire(dir.resolve("instance-1"), "a");
             InstanceLock b = InstanceLock.acquire(dir.resolve("instance-2"), "b")) {
            assertTrue(InstanceLock.isHeld(dir.resolve("instance-1")));
            assertTrue(InstanceLock.isHeld(dir.resolve("instance-2")));
        }
    }
}
