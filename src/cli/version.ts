// Named import: the bundler keeps `version` and drops the rest of package.json.
import { version as packageVersion } from '../../package.json';

/** The package version `dashwire --version` prints. */
export const version: string = packageVersion;
