package io.junction.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeletedConfigFilesTest {

    @Test
    void fileInstallsTagIsTheFilesUri() {
        Path file = Path.of("/opt/junction with spaces/etc/io.junction.refresh-sc1.cfg");
        assertEquals(file, DeletedConfigFiles.file(file.toUri().toString()));
    }

    @Test
    void aTagThatIsNoFileUriNamesNoFile() {
        assertNull(DeletedConfigFiles.file("/opt/junction/etc/x.cfg"));
        assertNull(DeletedConfigFiles.file("http://example.test/x.cfg"));
        assertNull(DeletedConfigFiles.file("not a uri"));
        assertNull(DeletedConfigFiles.file("file:relative.cfg"));
    }
}
