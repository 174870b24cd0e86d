// Starts bench/serve.mjs as a child process and resolves to its URL and a stop function.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export function startBrokerProcess(settings) {
  const child = fork(fileURLToPath(new URL("./serve.mjs", import.meta.url)), [], {
    env: { ...process.env, PULSE_BENCH: JSON.stringify(settings) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`broker process exited with ${code}`)));
    child.once("message", ({ url }) => {
      const stop = () =>
        new Promise((done) => {
          child.removeAllListeners("exit");
          child.once("exit", done);
          child.disconnect();
        });
      resolve({ url, stop });
    });
  });
}
