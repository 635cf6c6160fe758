import type { Vm } from '../../api/types';

export interface VmAction {
  id: string;
  label: string;
  command: string;
  /** The states a VM can be in for the action to make sense (CloudStack refuses it otherwise). */
  states: string[];
  async: boolean;
  danger: boolean;
  confirm: (vm: Vm) => string;
  /** What the VM should be once the job is done, announced to the user. */
  done: string;
  params?: Record<string, string | boolean>;
}

const name = (vm: Vm) => vm.displayname || vm.name;

export const VM_ACTIONS: VmAction[] = [
  {
    id: 'start',
    label: 'Start',
    command: 'startVirtualMachine',
    states: ['Stopped'],
    async: true,
    danger: false,
    confirm: (vm) => `Start ${name(vm)}?`,
    done: 'started',
  },
  {
    id: 'stop',
    label: 'Stop',
    command: 'stopVirtualMachine',
    states: ['Running'],
    async: true,
    danger: true,
    confirm: (vm) => `Stop ${name(vm)}? Its guest is shut down.`,
    done: 'stopped',
  },
  {
    id: 'forcestop',
    label: 'Force stop',
    command: 'stopVirtualMachine',
    states: ['Running', 'Stopping'],
    async: true,
    danger: true,
    params: { forced: true },
    confirm: (vm) => `Force ${name(vm)} to stop? The hypervisor powers it off without a guest shutdown.`,
    done: 'stopped',
  },
  {
    id: 'reboot',
    label: 'Reboot',
    command: 'rebootVirtualMachine',
    states: ['Running'],
    async: true,
    danger: true,
    confirm: (vm) => `Reboot ${name(vm)}?`,
    done: 'rebooted',
  },
  {
    id: 'destroy',
    label: 'Destroy',
    command: 'destroyVirtualMachine',
    states: ['Running', 'Stopped', 'Error'],
    async: true,
    danger: true,
    confirm: (vm) => `Destroy ${name(vm)}? It can be recovered until it is expunged.`,
    done: 'destroyed',
  },
  {
    id: 'recover',
    label: 'Recover',
    command: 'recoverVirtualMachine',
    states: ['Destroyed'],
    async: false,
    danger: false,
    confirm: (vm) => `Recover ${name(vm)}? It comes back stopped.`,
    done: 'recovered',
  },
  {
    id: 'expunge',
    label: 'Expunge',
    command: 'expungeVirtualMachine',
    states: ['Destroyed'],
    async: true,
    danger: true,
    confirm: (vm) => `Expunge ${name(vm)}? Its disks are deleted and it cannot be recovered.`,
    done: 'expunged',
  },
];
