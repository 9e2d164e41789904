/** What providers report about the managed environment: clusters, hosts, VMs and templates, datastores. */
@Version("1.1.0")
@Export
package io.junction.api.inventory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
