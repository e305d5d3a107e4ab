/**
 * The configuration file shared by Bullpen's programs (the CLI, the HTTP server, worker runners). A program
 * declares the tables it reads as {@link io.bullpen.config.ConfigSection}s of {@link io.bullpen.config.Setting}s
 * and loads them with {@link io.bullpen.config.BullpenConfig#load}; see {@code docs/configuration.md}.
 */
package io.bullpen.config;
