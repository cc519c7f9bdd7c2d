// Used by iac/tests/iac_terraform.rs; needs `npm install @cdktf/hcl2json` in .tools/node (scripts/install-tools.sh).
// Parses every .tf file named on the command line with HashiCorp's HCL parser (hcl2json, WASM).
const { parse } = require('@cdktf/hcl2json');
const fs = require('fs');
(async () => {
  let failed = 0;
  for (const file of process.argv.slice(2)) {
    try {
      const json = await parse(file, fs.readFileSync(file, 'utf8'));
      if (typeof json !== 'object') throw new Error('no object');
    } catch (e) {
      failed++;
      console.error(`${file}: ${e.message || e}`);
    }
  }
  process.exit(failed ? 1 : 0);
})();
