// Reads GIFT on stdin, prints gift-pegjs's parse of it as JSON (or the syntax error, exit 1).
const gift = require(process.argv[2]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  try {
    process.stdout.write(JSON.stringify(gift.parse(input)));
  } catch (e) {
    process.stderr.write(`${e.name}: ${e.message} at ${JSON.stringify(e.location)}\n`);
    process.exit(1);
  }
});
