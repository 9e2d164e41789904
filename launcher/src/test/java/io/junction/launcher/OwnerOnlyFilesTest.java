package io.junction.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @TempDir
    Path dir;

    @Test
    void restrictTakesGroupAndOthersOffEverythingAndKeepsTheOwnersBits() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/derby/seg0"));
        Path file = Files.writeString(data.resolve("c10.dat"), "x");
        Path script = Files.writeString(dir.resolve("data/run.sh"), "x");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("data/outside"), outside);

        assertNull(OwnerOnlyFiles.restrict(dir.resolve("data")));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(script)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))));
        // a link is not followed out of data/
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)));
    }

    @Test
    void onlyFilesHoldingSecretsMustBeOwnerOnly() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path plain = Files.writeString(etc.resolve("io.junction.router.cfg"), "drainTimeoutMillis = 5000\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        Path properties = Files.writeString(etc.resolve("config.properties"), ".hidden = no secret by this rule\n");
        Files.setPosixFilePermissions(properties, PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(OwnerOnlyFiles.looseSecretFile(etc));

        Path database = Files.writeString(etc.resolve("io.junction.database.cfg"), "user = junction\n.password = s3cret\n");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-------"));
        assertNull(OwnerOnlyFiles.looseSecretFile(etc));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw----r--"));
        assertEquals("error: configuration file with a secret (.password) " + database
                + " is accessible by group or others (rw----r--): make it owner-only with chmod 600 " + database,
                OwnerOnlyFiles.looseSecretFile(etc));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-------"));

        Path hostKey = Files.writeString(Files.createDirectories(etc.resolve("ssh")).resolve("ssh_host_ed25519_key"), "k");
        Files.setPosixFilePermissions(hostKey, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("error: key file " + hostKey + " is accessible by group or others (rw-r-----): make it owner-only with chmod 600 "
                + hostKey, OwnerOnlyFiles.looseSecretFile(etc));
    }
}
