/** The schema directory, its loading through networknt json-schema-validator and the DS components. Private. */
package org.eipc.schema.impl;
