package io.junction.core.internal.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code etc/} holds at start is the configuration. File Install makes a configuration of
 * each {@code etc/*.cfg} (tagged with the file's name) and Configuration Admin keeps it in
 * {@code data/config}; a file deleted while Junction was stopped is never seen going, so its
 * configuration would live on (a periodic refresh the operator removed would still run). At
 * start, configurations whose file is gone are deleted.
 */
@Component(immediate = true, service = {})
public class DeletedConfigFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DeletedConfigFiles.class);
    /** File Install's tag on the configurations it made: the file's URI. */
    static final String FILE_TAG = "felix.fileinstall.filename";

    @Activate
    public DeletedConfigFiles(@Reference ConfigurationAdmin configurations) {
        for (Configuration configuration : tagged(configurations)) {
            try {
                Path file = file(configuration);
                if (file == null || Files.exists(file)) {
                    continue;
                }
                String pid = configuration.getPid();
                configuration.delete();
                LOG.info("Removed configuration {}: its file {} is gone", pid, file);
            } catch (IOException | IllegalStateException e) {
                // IllegalStateException: deleted meanwhile (by File Install itself).
                LOG.debug("Removing a configuration of a deleted file", e);
            }
        }
    }

    private static List<Configuration> tagged(ConfigurationAdmin configurations) {
        try {
            Configuration[] found = configurations.listConfigurations("(" + FILE_TAG + "=*)");
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list the configurations made from files in etc/: {}", e.toString(), e);
            return new ArrayList<>();
        }
    }

    /** The file a configuration was made from, or null when its tag is not a file name. */
    static Path file(Configuration configuration) {
        java.util.Dictionary<String, Object> properties = configuration.getProperties();
        Object tag = properties == null ? null : properties.get(FILE_TAG);
        return tag == null ? null : file(tag.toString());
    }

    static Path file(String tag) {
        try {
            URI uri = URI.create(tag);
            return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }
}
