// Small loopback HTTP servers standing in for Athens (or for something that is not Athens), recording
// every request with its authorization header.
import { IncomingMessage, Server, ServerResponse, createServer } from "node:http";
import { AddressInfo } from "node:net";

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export async function serve(handler: Handler): Promise<{ url: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url} ${request.headers.authorization ?? ""}`.trim());
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits };
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Answers /healthz and /version as Athens v0.18.0 does; 404 otherwise. */
export const fakeAthens: Handler = (request, response) => {
  if (request.url === "/healthz") return void response.end("");
  if (request.url === "/version") return void response.end(JSON.stringify({ version: "v0.18.0" }));
  response.statusCode = 404;
  response.end("not found");
};
