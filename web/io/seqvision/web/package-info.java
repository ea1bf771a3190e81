/**
 * The browser demo and REST API (Javalin). They call only the typed facade in {@code
 * io.seqvision.tasks.api}; the layer is empty until the web issue lands.
 */
package io.seqvision.web;
