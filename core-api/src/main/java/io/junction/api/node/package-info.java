/** Junction nodes sharing one database, and which of them runs each EMS's background work. */
@Version("1.0.0")
@Export
package io.junction.api.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
