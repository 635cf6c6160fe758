import { defineConfig } from 'vitepress';

// The docs site: `npm run docs:build` writes docs/.vitepress/dist. Pages under reference/ and
// coverage/ are generated from the code by scripts/docs.ts.
export default defineConfig({
  title: 'polystack',
  description: 'A whole cloud in one Node.js process, behind the CloudStack, EC2 and GCE APIs',
  cleanUrls: true,
  // The coverage tables are long; the site needs no search index of every API name to be useful.
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'Clients', link: '/clients/cs' },
      { text: 'Reference', link: '/reference/configuration' },
      { text: 'Coverage', link: '/coverage/cloudstack' },
    ],
    sidebar: [
      { text: 'Guide', items: [
        { text: 'Getting started', link: '/getting-started' },
        { text: 'Installing', link: '/install' },
        { text: 'Web console', link: '/console' },
        { text: 'Control endpoints', link: '/control' },
        { text: 'Console: resource pages', link: '/console-resources' },
        { text: 'Faults and the clock', link: '/faults-and-clock' },
        { text: 'Gateway modes', link: '/gateways' },
        { text: 'Conformance and coverage', link: '/conformance' },
        { text: 'Operations', link: '/operations' },
        { text: 'Reliability', link: '/reliability' },
        { text: 'Security', link: '/security' },
        { text: 'Architecture', link: '/architecture' },
      ] },
      { text: 'Clients', items: [
        { text: 'cs', link: '/clients/cs' },
        { text: 'cloudmonkey (cmk)', link: '/clients/cloudmonkey' },
        { text: 'libcloud', link: '/clients/libcloud' },
        { text: 'Ansible', link: '/clients/ansible' },
        { text: 'Terraform', link: '/clients/terraform' },
        { text: 'AWS CLI and SDKs', link: '/clients/aws' },
        { text: 'boto3 and boto', link: '/clients/boto' },
        { text: 'gcloud and googleapis', link: '/clients/gce' },
      ] },
      { text: 'Reference', items: [
        { text: 'Configuration', link: '/reference/configuration' },
        { text: 'Error catalog', link: '/reference/errors' },
      ] },
      { text: 'Coverage', items: [
        { text: 'CloudStack', link: '/coverage/cloudstack' },
        { text: 'EC2', link: '/coverage/ec2' },
        { text: 'GCE', link: '/coverage/gce' },
        { text: 'Gaps: CloudStack', link: '/gaps/cloudstack' },
        { text: 'Gaps: EC2', link: '/gaps/ec2' },
        { text: 'Gaps: GCE', link: '/gaps/gce' },
      ] },
    ],
  },
});
