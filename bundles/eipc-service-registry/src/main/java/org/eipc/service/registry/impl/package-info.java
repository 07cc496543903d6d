/** Implementation (private). */
package org.eipc.service.registry.impl;
